# Share of groups whose rewards are all equal (no gradient)
# Render from this directory: gnuplot zero-spread.gp  (writes zero-spread.png)
if (!exists("outfile")) outfile = 'zero-spread.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Share of groups whose rewards are all equal (no gradient)'
set xlabel 'GRPO step'
set ylabel 'frac_reward_zero_std'
set key top right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'zero-spread.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'grpo, arithmetic', \
     'zero-spread.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'dr_grpo, arithmetic'
