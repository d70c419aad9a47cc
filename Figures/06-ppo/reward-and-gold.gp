# PPO at β = 0.05: reward-model score and gold score of each batch
# Render from this directory: gnuplot reward-and-gold.gp  (writes reward-and-gold.png)
if (!exists("outfile")) outfile = 'reward-and-gold.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'PPO at β = 0.05: reward-model score and gold score of each batch'
set xlabel 'iteration'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [1:12]
set yrange [-0.694517691:6.35223979]
set style fill transparent solid 0.2 noborder
plot 'reward-and-gold.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     'reward-and-gold.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold judge'
