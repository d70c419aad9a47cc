# TRPO and vanilla policy gradient: batch means against update
# Render from this directory: gnuplot reward-and-gold.gp  (writes reward-and-gold.png)
if (!exists("outfile")) outfile = 'reward-and-gold.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'TRPO and vanilla policy gradient: batch means against update'
set xlabel 'update'
set ylabel 'score'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [1:12]
set yrange [-0.605408453:7.18964743]
set style fill transparent solid 0.2 noborder
plot 'reward-and-gold.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'TRPO, reward model', \
     'reward-and-gold.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TRPO, gold', \
     'reward-and-gold.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'vanilla PG, reward model', \
     'reward-and-gold.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'vanilla PG, gold'
